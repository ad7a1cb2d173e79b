MERGE INTO orders AS o
USING (SELECT DISTINCT customer_id FROM erasure_requests WHERE status = 'open') AS r
ON o.customer_id = r.customer_id
WHEN MATCHED THEN DELETE;

MERGE INTO customers AS c
USING (SELECT DISTINCT customer_id FROM erasure_requests WHERE status = 'open') AS r
ON c.customer_id = r.customer_id
WHEN MATCHED THEN DELETE;

UPDATE erasure_requests SET status = 'done' WHERE status = 'open';

SELECT 'customers_left' AS check_name, COUNT(*) AS n FROM customers WHERE customer_id IN (SELECT customer_id FROM erasure_requests)
UNION ALL SELECT 'orders_left', COUNT(*) FROM orders WHERE customer_id IN (SELECT customer_id FROM erasure_requests)
UNION ALL SELECT 'orders_total', COUNT(*) FROM orders
UNION ALL SELECT 'open_requests', COUNT(*) FROM erasure_requests WHERE status = 'open';
