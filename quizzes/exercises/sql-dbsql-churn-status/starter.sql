SELECT o.customer_id, MAX(o.order_date) AS last_order_date, 'active' AS status
FROM orders o
GROUP BY o.customer_id
ORDER BY o.customer_id;
