SELECT DISTINCT principal AS user_name
FROM grants
WHERE securable_name = 'main.gold.orders' AND privilege = 'SELECT'
ORDER BY user_name;
