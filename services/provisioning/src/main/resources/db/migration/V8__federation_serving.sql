-- The federation list of a Matrix server: the one its last applied configuration names, and the
-- one it answers with (copied once the server is up after that pass). A new server is ready only
-- once the servers that take newcomers in at once (the commons server; every platform-only server
-- in immediate mode) serve a list naming it.
ALTER TABLE instance ADD COLUMN federation_applied text;
ALTER TABLE instance ADD COLUMN federation_serving text;
