-- Payments, one row per idempotency key: the unique constraint (not an in-memory lock) is what makes
-- concurrent duplicates of one request create exactly one payment.
CREATE TABLE payment (
    id                  uuid          PRIMARY KEY,
    idempotency_key     varchar(255)  NOT NULL,
    request_fingerprint varchar(64)   NOT NULL,
    order_id            uuid          NOT NULL,
    amount              numeric(19,2) NOT NULL CHECK (amount > 0),
    currency            varchar(3)    NOT NULL,
    status              varchar(16)   NOT NULL CHECK (status IN ('APPROVED', 'DECLINED', 'REFUNDED')),
    decline_reason      varchar(64),
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL,
    refunded_at         timestamptz,
    version             bigint        NOT NULL DEFAULT 0,
    CONSTRAINT payment_idempotency_key_uq UNIQUE (idempotency_key)
);

CREATE INDEX payment_order_id_idx ON payment (order_id, created_at);
