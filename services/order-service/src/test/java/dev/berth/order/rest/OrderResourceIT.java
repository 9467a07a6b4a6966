package dev.berth.order.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The resource tier again, against the packaged application (target/quarkus-app) as a separate process. */
@QuarkusIntegrationTest
class OrderResourceIT extends OrderResourceTest {}
