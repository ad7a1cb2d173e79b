WITH acting_as AS (
  -- every user acts as itself and as each group it belongs to
  SELECT user_name, user_name AS principal FROM users
  UNION ALL
  SELECT u.user_name, g.group_name AS principal
  FROM users u
  JOIN group_members g ON g.member = u.user_name
),
effective AS (
  SELECT a.user_name, gr.privilege, gr.securable_type, gr.securable_name
  FROM acting_as a
  JOIN grants gr ON gr.principal = a.principal
)
-- a user can read the table when all three checks pass
SELECT user_name
FROM effective
GROUP BY user_name
HAVING count_if(privilege = 'USE CATALOG' AND securable_type = 'CATALOG' AND securable_name = 'main') > 0
   AND count_if(privilege = 'USE SCHEMA'
                AND ((securable_type = 'SCHEMA' AND securable_name = 'main.gold')
                     OR (securable_type = 'CATALOG' AND securable_name = 'main'))) > 0
   AND count_if(privilege = 'SELECT'
                AND ((securable_type = 'TABLE' AND securable_name = 'main.gold.orders')
                     OR (securable_type = 'SCHEMA' AND securable_name = 'main.gold')
                     OR (securable_type = 'CATALOG' AND securable_name = 'main'))) > 0
ORDER BY user_name;
