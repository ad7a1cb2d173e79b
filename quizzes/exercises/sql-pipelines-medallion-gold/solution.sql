WITH silver AS (
  SELECT order_id,
         CAST(CAST(order_ts AS TIMESTAMP) AS DATE) AS order_date,
         UPPER(TRIM(country)) AS country,
         TRY_CAST(amount AS DECIMAL(10,2)) AS amount
  FROM bronze_orders
  WHERE order_id IS NOT NULL AND TRY_CAST(amount AS DECIMAL(10,2)) IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY ingested_at DESC) = 1
)
SELECT order_date, country, COUNT(*) AS orders, SUM(amount) AS revenue
FROM silver
GROUP BY order_date, country
ORDER BY order_date, country;
