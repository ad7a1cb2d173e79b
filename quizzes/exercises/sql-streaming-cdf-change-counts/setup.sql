CREATE TABLE orders (order_id BIGINT, status STRING, amount DECIMAL(10,2))
  TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true');
INSERT INTO orders VALUES (1, 'placed', 10.00), (2, 'placed', 22.50), (3, 'placed', 7.00), (4, 'placed', 15.00);
UPDATE orders SET status = 'shipped' WHERE order_id IN (1, 2);
DELETE FROM orders WHERE order_id = 3;
INSERT INTO orders VALUES (5, 'placed', 30.00);
