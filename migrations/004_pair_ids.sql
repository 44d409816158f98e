-- Pair ids are never given twice. Undoing a review label deletes its row,
-- and SQLite hands the largest id out again once its row is gone, so a
-- client paging labels by id, or keeping exported ids, would take a new
-- label for the undone one. Deletes record the highest id they removed;
-- inserts take the next id above both it and every stored row.
-- (AUTOINCREMENT would do the same, but adding it means rebuilding the
-- table, and dropping the old one would set the pair of every review
-- decision to NULL through its foreign key.)
CREATE TABLE id_floors (
  table_name TEXT PRIMARY KEY,
  last_id INTEGER NOT NULL CHECK (last_id > 0)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER pairs_keep_deleted_ids AFTER DELETE ON pairs
BEGIN
  INSERT INTO id_floors (table_name, last_id) VALUES ('pairs', OLD.id)
    ON CONFLICT (table_name) DO UPDATE
    SET last_id = max(last_id, excluded.last_id);
END;
