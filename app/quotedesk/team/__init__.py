"""Team mode: the team's PostgreSQL server (schema, roles, logins) and a laptop's
membership. Imported only by team commands: single-user Quote Desk never loads psycopg.
No Qt here."""
