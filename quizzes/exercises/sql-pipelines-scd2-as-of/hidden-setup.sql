UPDATE dim_customer SET __END_AT = TIMESTAMP '2024-02-20 00:00:00' WHERE customer_id = 3 AND __END_AT IS NULL;
INSERT INTO dim_customer VALUES
  (3, 'silver', 'IT', TIMESTAMP '2024-02-20 00:00:00', NULL),
  (5, 'bronze', 'PT', TIMESTAMP '2024-02-29 23:59:59', NULL);
