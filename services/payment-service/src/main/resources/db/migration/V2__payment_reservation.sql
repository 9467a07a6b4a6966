-- A payment is first reserved (PENDING) under its idempotency key, and only then is the processor called:
-- a concurrent duplicate finds the reservation instead of authorising a second time.
ALTER TABLE payment DROP CONSTRAINT payment_status_check;
ALTER TABLE payment ADD CONSTRAINT payment_status_check
    CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED', 'REFUNDED'));
