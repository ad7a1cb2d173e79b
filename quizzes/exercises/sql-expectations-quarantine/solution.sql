WITH checked AS (
  SELECT order_id, amount, status,
         CASE WHEN NOT coalesce(order_id IS NOT NULL, false) THEN 'has_order_id'
              WHEN NOT coalesce(amount >= 0, false) THEN 'valid_amount'
              WHEN NOT coalesce(status IN ('placed', 'shipped', 'cancelled'), false) THEN 'valid_status'
         END AS failed_rule
  FROM bronze_orders
)
SELECT order_id, amount, status, failed_rule
FROM checked
WHERE failed_rule IS NOT NULL;
