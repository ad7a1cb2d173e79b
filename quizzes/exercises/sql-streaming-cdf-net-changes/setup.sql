CREATE TABLE customers (customer_id BIGINT, email STRING, segment STRING)
  TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true');
INSERT INTO customers VALUES
  (1, 'ada@example.com', 'gold'), (2, 'ben@example.com', 'silver'),
  (3, 'cleo@example.com', 'bronze'), (4, 'dev@example.com', 'silver');
UPDATE customers SET segment = 'gold' WHERE customer_id = 2;
DELETE FROM customers WHERE customer_id = 3;
UPDATE customers SET email = 'ben@new.example.com' WHERE customer_id = 2;
INSERT INTO customers VALUES (5, 'eve@example.com', 'bronze');
UPDATE customers SET segment = 'silver' WHERE customer_id = 5;
