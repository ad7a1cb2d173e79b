INSERT INTO users VALUES ('fa@corp.com'), ('gi@corp.com');
INSERT INTO group_members VALUES ('engineers', 'fa@corp.com'), ('contractors', 'gi@corp.com');
INSERT INTO grants VALUES
  ('engineers', 'CATALOG', 'main', 'SELECT'),
  ('gi@corp.com', 'CATALOG', 'main', 'USE CATALOG');
