CREATE TABLE customers (customer_id BIGINT, email STRING, country STRING);
INSERT INTO customers VALUES
  (1, 'ada@example.com', 'FR'), (2, 'ben@example.com', 'DE'), (3, 'cleo@example.com', 'FR'),
  (4, 'dev@example.com', 'IT'), (5, 'eve@example.com', 'ES');
CREATE TABLE orders (order_id BIGINT, customer_id BIGINT, amount DECIMAL(10,2));
INSERT INTO orders VALUES
  (100, 1, 10.00), (101, 2, 20.00), (102, 2, 5.00), (103, 3, 7.50), (104, 4, 12.00), (105, 5, 9.00), (106, 3, 1.00);
CREATE TABLE erasure_requests (customer_id BIGINT, requested_at DATE, status STRING);
INSERT INTO erasure_requests VALUES
  (2, DATE '2024-06-01', 'open'),
  (3, DATE '2024-06-02', 'open'),
  (9, DATE '2024-05-01', 'done');
