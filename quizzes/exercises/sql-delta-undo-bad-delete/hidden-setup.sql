INSERT INTO orders VALUES (9, 16, 13.30, 'pending');
UPDATE orders SET status = 'shipped' WHERE order_id = 7;
