CREATE TABLE customers (customer_id BIGINT, email STRING, city STRING, updated_at TIMESTAMP);
INSERT INTO customers VALUES
  (1, 'ada@example.com', 'London', TIMESTAMP '2024-01-05 09:00:00'),
  (2, 'ben@example.com', 'Leeds', TIMESTAMP '2024-01-06 10:00:00'),
  (3, 'cleo@example.com', 'Paris', TIMESTAMP '2024-01-07 08:30:00');
CREATE TABLE customer_changes (customer_id BIGINT, email STRING, city STRING, changed_at TIMESTAMP);
INSERT INTO customer_changes VALUES
  (2, 'ben@a.example.com', 'York', TIMESTAMP '2024-02-10 07:00:00'),
  (2, 'ben@b.example.com', 'Hull', TIMESTAMP '2024-02-10 09:30:00'),
  (2, 'ben@c.example.com', 'Bath', TIMESTAMP '2024-02-10 08:00:00'),
  (3, 'cleo@new.example.com', 'Lyon', TIMESTAMP '2024-02-10 12:00:00'),
  (4, 'dev@example.com', 'Berlin', TIMESTAMP '2024-02-10 13:00:00'),
  (4, 'dev@work.example.com', 'Berlin', TIMESTAMP '2024-02-10 18:00:00');
