-- An import writes up to a million persons at a time, and most imported rows carry no tags, no house and
-- often no point or phone. Indexes on those columns are partial, so a bulk load pays only for rows where
-- there is something to find. Queries that use them name the column with a strict operator (=, @>, &&),
-- which lets the planner prove the predicate; tag search adds `cardinality(tags) > 0` explicitly.
DROP INDEX person_tags_idx;
CREATE INDEX person_tags_idx ON person USING gin (tags) WHERE cardinality(tags) > 0;
DROP INDEX person_geom_gix;
CREATE INDEX person_geom_gix ON person USING gist (geom) WHERE geom IS NOT NULL;
DROP INDEX person_house_idx;
CREATE INDEX person_house_idx ON person (house_id) WHERE house_id IS NOT NULL;
DROP INDEX person_phone_bidx_idx;
CREATE INDEX person_phone_bidx_idx ON person (phone_bidx) WHERE phone_bidx IS NOT NULL;
