package dev.berth.order.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.BatchSize;

/** An order (Panache active record). The card token is kept only to repeat the exact payment request. */
@Entity
@Table(name = "orders")
public class Order extends PanacheEntityBase {

    public static final String IDEMPOTENCY_CONSTRAINT = "orders_idempotency_key_uq";

    @Id
    public UUID id;

    @Column(name = "idempotency_key", nullable = false, updatable = false)
    public String idempotencyKey;

    @Column(name = "request_fingerprint", nullable = false, updatable = false)
    public String requestFingerprint;

    @Column(name = "customer_id", nullable = false, updatable = false)
    public String customerId;

    @Column(nullable = false, length = 3, updatable = false)
    public String currency;

    @Column(nullable = false, precision = 19, scale = 2, updatable = false)
    public BigDecimal total;

    @Column(name = "card_token", nullable = false, updatable = false)
    public String cardToken;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public OrderStatus status;

    @Column(name = "payment_id")
    public UUID paymentId;

    @Column(name = "failure_reason")
    public String failureReason;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RefundStatus refund = RefundStatus.NONE;

    @Column(name = "payment_attempts", nullable = false)
    public int paymentAttempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    @ElementCollection
    @CollectionTable(name = "order_item", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "line_no")
    @BatchSize(size = 100)
    public List<OrderLine> items = new ArrayList<>();

    public static Optional<Order> findByIdempotencyKey(String key) {
        return find("idempotencyKey", key).firstResultOptional();
    }

    /** One page of orders, newest first, optionally filtered by status and customer. */
    public static List<Order> page(OrderStatus status, String customerId, Page page) {
        Filter f = Filter.of(status, customerId);
        return find(f.query, Sort.by("createdAt", Sort.Direction.Descending).and("id"), f.parameters).page(page).list();
    }

    public static long count(OrderStatus status, String customerId) {
        Filter f = Filter.of(status, customerId);
        return count(f.query, f.parameters);
    }

    private record Filter(String query, Parameters parameters) {
        static Filter of(OrderStatus status, String customerId) {
            List<String> clauses = new ArrayList<>();
            Parameters p = new Parameters();
            if (status != null) {
                clauses.add("status = :status");
                p = p.and("status", status);
            }
            if (customerId != null) {
                clauses.add("customerId = :customerId");
                p = p.and("customerId", customerId);
            }
            return new Filter(clauses.isEmpty() ? "1 = 1" : String.join(" and ", clauses), p);
        }
    }
}
