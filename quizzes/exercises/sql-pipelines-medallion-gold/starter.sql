SELECT CAST(CAST(order_ts AS TIMESTAMP) AS DATE) AS order_date,
       country,
       COUNT(*) AS orders,
       SUM(TRY_CAST(amount AS DECIMAL(10,2))) AS revenue
FROM bronze_orders
GROUP BY 1, 2
ORDER BY 1, 2;
