-- Orders and their lines. One row per idempotency key (unique constraint); `next_attempt_at` schedules the
-- payment reconciler's work (charge a PENDING order, refund a cancelled one) and doubles as a lease so
-- several order-service replicas never work on one order at the same time.
CREATE TABLE orders (
    id                  uuid          PRIMARY KEY,
    idempotency_key     varchar(255)  NOT NULL,
    request_fingerprint varchar(64)   NOT NULL,
    customer_id         varchar(64)   NOT NULL,
    currency            varchar(3)    NOT NULL,
    total               numeric(19,2) NOT NULL CHECK (total > 0),
    card_token          varchar(64)   NOT NULL,
    status              varchar(16)   NOT NULL CHECK (status IN ('PENDING', 'PAID', 'PAYMENT_FAILED', 'CANCELLED')),
    payment_id          uuid,
    failure_reason      varchar(255),
    refund              varchar(8)    NOT NULL DEFAULT 'NONE' CHECK (refund IN ('NONE', 'DUE', 'DONE')),
    payment_attempts    integer       NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz,
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL,
    version             bigint        NOT NULL DEFAULT 0,
    CONSTRAINT orders_idempotency_key_uq UNIQUE (idempotency_key)
);

CREATE INDEX orders_customer_idx ON orders (customer_id, created_at);
CREATE INDEX orders_status_idx ON orders (status, created_at);
-- only the few orders that still need a payment-side action are indexed for the reconciler
CREATE INDEX orders_due_idx ON orders (next_attempt_at) WHERE status = 'PENDING' OR refund = 'DUE';

CREATE TABLE order_item (
    order_id   uuid          NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    integer       NOT NULL,
    sku        varchar(64)   NOT NULL,
    quantity   integer       NOT NULL CHECK (quantity > 0),
    unit_price numeric(19,2) NOT NULL CHECK (unit_price > 0),
    PRIMARY KEY (order_id, line_no)
);
