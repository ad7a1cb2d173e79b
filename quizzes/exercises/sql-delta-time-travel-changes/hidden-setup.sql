UPDATE customers SET name = 'Ada L.' WHERE customer_id = 1;
DELETE FROM customers WHERE customer_id = 6;
INSERT INTO customers VALUES (8, 'Hana', 'bronze', 'hana@example.com');
