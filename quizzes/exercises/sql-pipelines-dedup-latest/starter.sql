SELECT DISTINCT order_id, status, amount, updated_at
FROM bronze_orders
ORDER BY order_id;
