SELECT order_id, status, amount, updated_at
FROM bronze_orders
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, ingested_at DESC) = 1
ORDER BY order_id;
