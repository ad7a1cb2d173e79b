CREATE TABLE dim_customer (customer_id BIGINT, city STRING, valid_from TIMESTAMP, valid_to TIMESTAMP, is_current BOOLEAN);
INSERT INTO dim_customer VALUES
  (1, 'London', TIMESTAMP '2023-01-01 00:00:00', TIMESTAMP '2023-06-01 00:00:00', false),
  (1, 'Leeds', TIMESTAMP '2023-06-01 00:00:00', NULL, true),
  (2, 'Paris', TIMESTAMP '2023-02-01 00:00:00', NULL, true),
  (3, 'Berlin', TIMESTAMP '2023-03-01 00:00:00', NULL, true);
CREATE TABLE changes (customer_id BIGINT, city STRING, changed_at TIMESTAMP);
INSERT INTO changes VALUES
  (1, 'York', TIMESTAMP '2024-01-10 09:00:00'),
  (2, 'Paris', TIMESTAMP '2024-01-10 10:00:00'),
  (4, 'Madrid', TIMESTAMP '2024-01-10 11:00:00');
