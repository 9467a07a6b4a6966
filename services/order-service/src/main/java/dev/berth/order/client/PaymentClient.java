package dev.berth.order.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * payment-service's API. Configured the Quarkus way under {@code quarkus.rest-client.payment-service.*}
 * (env {@code QUARKUS_REST_CLIENT_PAYMENT_SERVICE_URL}); resilience lives in {@link PaymentGateway}.
 */
@RegisterRestClient(configKey = "payment-service")
@Path("/api/payments")
@Produces(MediaType.APPLICATION_JSON)
public interface PaymentClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Payment create(@HeaderParam("Idempotency-Key") String idempotencyKey, NewPayment body);

    @GET
    PaymentPage forOrder(@QueryParam("orderId") UUID orderId, @QueryParam("size") int size);

    @POST
    @Path("{id}/refund")
    Payment refund(@PathParam("id") UUID id);

    record NewPayment(UUID orderId, BigDecimal amount, String currency, String cardToken) {
        @Override
        public String toString() {
            return "NewPayment[orderId=" + orderId + ", amount=" + amount + ", currency=" + currency + ", cardToken=***]";
        }
    }

    /** Tolerant reader: fields payment-service adds later are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Payment(UUID id, UUID orderId, String status, BigDecimal amount, String currency, String declineReason, Instant createdAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PaymentPage(List<Payment> items, int page, int size, long total) {}
}
