SELECT order_id, amount, status,
       CASE WHEN order_id IS NULL THEN 'has_order_id'
            WHEN amount < 0 THEN 'valid_amount'
            WHEN status NOT IN ('placed', 'shipped', 'cancelled') THEN 'valid_status'
       END AS failed_rule
FROM bronze_orders
WHERE order_id IS NULL OR amount < 0 OR status NOT IN ('placed', 'shipped', 'cancelled');
