UPDATE customers SET segment = 'bronze' WHERE customer_id = 1;
DELETE FROM customers WHERE customer_id = 5;
INSERT INTO customers VALUES (6, 'finn@example.com', 'gold');
