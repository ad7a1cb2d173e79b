CREATE TABLE customers (customer_id BIGINT, email STRING, city STRING, updated_at TIMESTAMP);
INSERT INTO customers VALUES
  (1, 'ada@example.com', 'London', TIMESTAMP '2024-01-05 09:00:00'),
  (2, 'ben@example.com', 'Leeds', TIMESTAMP '2024-01-06 10:00:00'),
  (3, 'cleo@example.com', 'Paris', TIMESTAMP '2024-02-01 08:30:00'),
  (4, 'dev@example.com', 'Berlin', TIMESTAMP '2024-01-20 12:00:00');
CREATE TABLE customer_updates (customer_id BIGINT, email STRING, city STRING, updated_at TIMESTAMP);
INSERT INTO customer_updates VALUES
  (2, 'ben@new.example.com', 'York', TIMESTAMP '2024-02-10 07:15:00'),
  (3, 'cleo@old.example.com', 'Lyon', TIMESTAMP '2024-01-15 11:00:00'),
  (5, 'eve@example.com', 'Madrid', TIMESTAMP '2024-02-11 16:45:00');
