package dev.berth.payment.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The resource tier again, against the packaged application (target/quarkus-app) as a separate process. */
@QuarkusIntegrationTest
class PaymentResourceIT extends PaymentResourceTest {}
