SELECT CAST(date_trunc('MONTH', order_date) AS DATE) AS month, SUM(amount) AS revenue
FROM orders
GROUP BY 1
ORDER BY 1;
