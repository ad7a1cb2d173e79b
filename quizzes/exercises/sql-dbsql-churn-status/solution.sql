WITH last_orders AS (
  SELECT c.customer_id, MAX(o.order_date) AS last_order_date
  FROM customers c
  LEFT JOIN orders o ON o.customer_id = c.customer_id
  GROUP BY c.customer_id
)
SELECT customer_id,
       last_order_date,
       CASE WHEN last_order_date IS NULL THEN 'never_ordered'
            WHEN last_order_date >= DATE '2024-04-01' THEN 'active'
            WHEN last_order_date >= DATE '2024-01-02' THEN 'at_risk'
            ELSE 'churned'
       END AS status
FROM last_orders
ORDER BY customer_id;
