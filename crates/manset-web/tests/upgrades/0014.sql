-- Schema 14: attempts counted in the database.
INSERT INTO rate_hits (key, at) VALUES ('comment:192.0.2.7', 1719565200);
