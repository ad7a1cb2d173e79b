CREATE TABLE silver_customers (customer_id BIGINT, email STRING, age INT);
INSERT INTO silver_customers VALUES
  (1, 'ada@example.com', 36),
  (2, 'ben.example.com', 17),
  (NULL, 'cleo@example.com', 41),
  (4, NULL, 29),
  (5, 'eve@example.com', NULL),
  (6, 'finn@example.com', 18);
