-- Delete the orders and customers of open requests, then close the requests.

SELECT 'customers_left' AS check_name, COUNT(*) AS n FROM customers WHERE customer_id IN (SELECT customer_id FROM erasure_requests)
UNION ALL SELECT 'orders_left', COUNT(*) FROM orders WHERE customer_id IN (SELECT customer_id FROM erasure_requests)
UNION ALL SELECT 'orders_total', COUNT(*) FROM orders
UNION ALL SELECT 'open_requests', COUNT(*) FROM erasure_requests WHERE status = 'open';
