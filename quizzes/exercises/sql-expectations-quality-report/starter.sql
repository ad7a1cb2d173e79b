SELECT 'has_customer_id' AS expectation,
       COUNT(customer_id) AS passed_records,
       COUNT(*) - COUNT(customer_id) AS failed_records
FROM silver_customers;
