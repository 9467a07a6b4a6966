package dev.berth.order.rest;

import dev.berth.order.model.OrderStatus;
import dev.berth.order.service.OrderService;
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
import java.util.Arrays;
import java.util.UUID;

/** {@code /api/orders}: thin — validates at the boundary, delegates to {@link OrderService}. */
@Path("/api/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final OrderService orders;

    public OrderResource(OrderService orders) {
        this.orders = orders;
    }

    /**
     * Places an order and pays it: 201 with Location and the order as it stands (PAID, PAYMENT_FAILED, or
     * PENDING when payment-service is unavailable — it is retried in the background). The same key and body
     * again → 200 with the same order; the same key with another body → 409.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response place(@HeaderParam(IdempotencyKey.HEADER) String idempotencyKey, @NotNull @Valid OrderRequest body, UriInfo uri) {
        String key = IdempotencyKey.require(idempotencyKey);
        var lines = body.items().stream().map(i -> new OrderService.Line(i.sku(), i.quantity(), i.unitPrice())).toList();
        var placement = orders.place(key, body.customerId(), body.currency(), body.cardToken(), lines);
        OrderResponse response = OrderResponse.of(placement.order());
        if (placement.created()) {
            return Response.created(uri.getAbsolutePathBuilder().path(response.id().toString()).build()).entity(response).build();
        }
        return Response.ok(response).header(REPLAYED_HEADER, "true").build();
    }

    @GET
    @Path("{id}")
    public OrderResponse get(@PathParam("id") UUID id) {
        return OrderResponse.of(orders.get(id));
    }

    /** Newest first; {@code size} is capped at 100. */
    @GET
    public PageOf<OrderResponse> list(@QueryParam("status") String status, @QueryParam("customerId") String customerId,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        PageRequest request = PageRequest.of(page, size);
        return orders.list(parseStatus(status), customerId == null || customerId.isEmpty() ? null : customerId, request)
                .map(OrderResponse::of);
    }

    /** Cancels the order, refunding it if it was paid. Idempotent. */
    @POST
    @Path("{id}/cancel")
    public OrderResponse cancel(@PathParam("id") UUID id) {
        return OrderResponse.of(orders.cancel(id));
    }

    private static OrderStatus parseStatus(String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        try {
            return OrderStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("status", "must be one of " + Arrays.toString(OrderStatus.values()));
        }
    }
}
