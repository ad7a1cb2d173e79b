CREATE TABLE customers (customer_id BIGINT, name STRING, tier STRING, email STRING);
INSERT INTO customers VALUES
  (1, 'Ada', 'gold', 'ada@example.com'),
  (2, 'Ben', 'silver', 'ben@example.com'),
  (3, 'Cleo', 'bronze', 'cleo@example.com'),
  (4, 'Dev', 'silver', 'dev@example.com'),
  (5, 'Eve', 'gold', 'eve@example.com'),
  (6, 'Finn', 'bronze', 'finn@example.com');
UPDATE customers SET tier = 'gold' WHERE customer_id = 2;
DELETE FROM customers WHERE customer_id = 3;
UPDATE customers SET email = 'eve@new.example.com' WHERE customer_id = 5;
INSERT INTO customers VALUES (7, 'Gus', 'silver', 'gus@example.com');
