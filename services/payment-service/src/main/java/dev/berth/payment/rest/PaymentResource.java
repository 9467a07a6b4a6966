package dev.berth.payment.rest;

import dev.berth.payment.service.PaymentService;
import dev.berth.support.idempotency.IdempotencyKey;
import dev.berth.support.paging.PageOf;
import dev.berth.support.paging.PageRequest;
import dev.berth.support.problem.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;

/** {@code /api/payments}: thin — validates at the boundary, delegates to {@link PaymentService}. */
@Path("/api/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final PaymentService payments;

    public PaymentResource(PaymentService payments) {
        this.payments = payments;
    }

    /**
     * Creates a payment: 201 with Location the first time; 200 with the same payment (and
     * {@code Idempotent-Replayed: true}) when the same key comes again with the same body; 409
     * {@code idempotency-key-in-progress} with {@code Retry-After} while the first request with the key is still
     * being authorised; 409 {@code idempotency-key-reused} when the key comes with another body.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(IdempotencyKey.HEADER) String idempotencyKey, @NotNull @Valid PaymentRequest body, UriInfo uri) {
        String key = IdempotencyKey.require(idempotencyKey);
        var outcome = payments.create(key, body.orderId(), body.amount(), body.currency(), body.cardToken());
        PaymentResponse response = PaymentResponse.of(outcome.payment());
        if (outcome.created()) {
            return Response.created(uri.getAbsolutePathBuilder().path(response.id().toString()).build()).entity(response).build();
        }
        return Response.ok(response).header(REPLAYED_HEADER, "true").build();
    }

    @GET
    @Path("{id}")
    public PaymentResponse get(@PathParam("id") UUID id) {
        return PaymentResponse.of(payments.get(id));
    }

    @GET
    public PageOf<PaymentResponse> list(@QueryParam("orderId") String orderId, @QueryParam("page") String page, @QueryParam("size") String size) {
        return payments.list(parseOrderId(orderId), PageRequest.of(page, size)).map(PaymentResponse::of);
    }

    /** Refunds an approved payment; idempotent. 409 for a declined payment. */
    @POST
    @Path("{id}/refund")
    public PaymentResponse refund(@PathParam("id") UUID id) {
        return PaymentResponse.of(payments.refund(id));
    }

    private static UUID parseOrderId(String orderId) {
        if (orderId == null || orderId.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(orderId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("orderId", "must be a UUID");
        }
    }
}
