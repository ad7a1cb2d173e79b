CREATE TABLE users (user_name STRING);
INSERT INTO users VALUES ('ana@corp.com'), ('bo@corp.com'), ('cy@corp.com'), ('di@corp.com'), ('ed@corp.com');
CREATE TABLE group_members (group_name STRING, member STRING);
INSERT INTO group_members VALUES
  ('analysts', 'ana@corp.com'), ('analysts', 'bo@corp.com'),
  ('engineers', 'cy@corp.com'), ('contractors', 'di@corp.com');
CREATE TABLE grants (principal STRING, securable_type STRING, securable_name STRING, privilege STRING);
INSERT INTO grants VALUES
  ('analysts', 'CATALOG', 'main', 'USE CATALOG'),
  ('analysts', 'SCHEMA', 'main.gold', 'USE SCHEMA'),
  ('analysts', 'SCHEMA', 'main.gold', 'SELECT'),
  ('engineers', 'CATALOG', 'main', 'USE CATALOG'),
  ('engineers', 'CATALOG', 'main', 'USE SCHEMA'),
  ('engineers', 'SCHEMA', 'main.silver', 'SELECT'),
  ('contractors', 'TABLE', 'main.gold.orders', 'SELECT'),
  ('contractors', 'SCHEMA', 'main.gold', 'USE SCHEMA'),
  ('ed@corp.com', 'CATALOG', 'main', 'USE CATALOG'),
  ('ed@corp.com', 'SCHEMA', 'main.gold', 'USE SCHEMA'),
  ('ed@corp.com', 'TABLE', 'main.gold.orders', 'SELECT');
