-- The qualification register, first part: who may be invited to a referral, and where they are.
--
-- Runs with search_path = qualification, public (PostGIS lives in public). Later migrations add
-- the rest of the register beside these tables with the same naming: applications and
-- application_parts, decisions, membership_history, safeguarding_alerts, inspection_ratings.

-- A purchasing system (DPS, open framework, dynamic market) as configured at set-up.
CREATE TABLE purchasing_systems (
  id             text        PRIMARY KEY,
  name           text        NOT NULL,
  regime         text        NOT NULL
                 CHECK (regime IN ('PCR2015_DPS', 'LIGHT_TOUCH', 'PA2023_DYNAMIC_MARKET')),
  lead_authority text        NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- A category of a purchasing system. weighted = false: pass/fail qualification only, so its
-- memberships carry no qualification score.
CREATE TABLE lots (
  id                      text    PRIMARY KEY,
  purchasing_system_id    text    NOT NULL REFERENCES purchasing_systems (id),
  code                    text    NOT NULL,
  name                    text    NOT NULL,
  weighted                boolean NOT NULL,
  affordability_cap_pence bigint  CHECK (affordability_cap_pence >= 0),
  UNIQUE (purchasing_system_id, code)
);

CREATE TABLE providers (
  id   text PRIMARY KEY,
  name text NOT NULL
);

-- The unit that qualifies and is invited (a home, a school, an agency branch).
-- latitude/longitude are the source of truth, so distances computed from them in SQL and in C++
-- see the same doubles; location is derived from them for the spatial index and cannot drift.
CREATE TABLE establishments (
  id                text     PRIMARY KEY,
  provider_id       text     NOT NULL REFERENCES providers (id),
  name              text     NOT NULL,
  type              text     NOT NULL
                    CHECK (type IN ('childrens_home', 'short_breaks', 'supported_accommodation',
                                    'ifa', 'residential_special_school', 'special_school',
                                    'college')),
  inspectorate      text     NOT NULL CHECK (inspectorate IN ('Ofsted', 'ISI', 'CQC', 'Estyn')),
  urn               text     NOT NULL DEFAULT '',
  local_authority   text     NOT NULL DEFAULT '',
  postcode_district text     NOT NULL,
  latitude          float8   NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude         float8   NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  location          geography(Point, 4326) NOT NULL
                    GENERATED ALWAYS AS
                      (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography) STORED,
  min_age           integer  NOT NULL CHECK (min_age BETWEEN 0 AND 25),
  max_age           integer  NOT NULL CHECK (max_age BETWEEN min_age AND 25),
  -- The children's genders taken, from the vocabulary of the eligibility query; a "mixed"
  -- establishment lists all three. Never empty, so "takes this gender" is one ANY().
  genders           text[]   NOT NULL
                    CHECK (cardinality(genders) > 0
                           AND genders <@ ARRAY['female', 'male', 'other']::text[]),
  capacity          integer  NOT NULL CHECK (capacity >= 0),
  specialisms       text[]   NOT NULL DEFAULT '{}'
);
-- The eligibility query's radius filter (ST_DWithin) runs on this index.
CREATE INDEX establishments_location ON establishments USING gist (location);
CREATE INDEX establishments_provider ON establishments (provider_id);

-- Membership of a lot per establishment: the live list of who may be invited. Only QUALIFIED
-- members are invited; SUSPENDED ones may be reinstated; EXCLUDED is final.
CREATE TABLE memberships (
  id                text        PRIMARY KEY,
  establishment_id  text        NOT NULL REFERENCES establishments (id),
  lot_id            text        NOT NULL REFERENCES lots (id),
  state             text        NOT NULL CHECK (state IN ('QUALIFIED', 'SUSPENDED', 'EXCLUDED')),
  state_since       timestamptz NOT NULL,
  state_reason      text        NOT NULL DEFAULT '',
  qualified_at      timestamptz NOT NULL,
  ceiling_fee_pence bigint      NOT NULL CHECK (ceiling_fee_pence >= 0),  -- weekly
  UNIQUE (establishment_id, lot_id)
);
-- The eligibility query joins the establishments found near the child to the qualified members
-- of one lot; the included columns let it read them from the index alone.
CREATE INDEX memberships_lot_state ON memberships (lot_id, state, establishment_id)
  INCLUDE (id, ceiling_fee_pence);

-- The qualification score history: each row is the score in force from effective_at on, so the
-- score in force at T is the latest row at or before T. The first row is the score at
-- qualification; later rows are the six-monthly adjustments. The score, not only the delta, is
-- stored because an adjustment is clamped to 0-100 (the requested delta is kept beside it), so
-- base + sum(deltas) would be wrong after a clamp. Lots with weighted = false have no rows.
CREATE TABLE membership_scores (
  membership_id   text         NOT NULL REFERENCES memberships (id),
  effective_at    timestamptz  NOT NULL,
  score           numeric(5,2) NOT NULL CHECK (score BETWEEN 0 AND 100),
  requested_delta numeric(5,2) NOT NULL DEFAULT 0,
  reason          text         NOT NULL,
  actor           text         NOT NULL,
  PRIMARY KEY (membership_id, effective_at)
);

-- Great-circle distance in miles by the haversine formula with R = 3958.8 miles: the distance the
-- scoring engine uses, so the radius a referral states means the same everywhere. Written in one
-- expression, in the same order of operations as the C++ (services/scoring/domain/geo.cc), so the
-- planner inlines it and both give the same double. 0.017453292519943295 = pi / 180.
CREATE FUNCTION haversine_miles(lat1 float8, lon1 float8, lat2 float8, lon2 float8)
  RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 2 * 3958.8::float8 * asin(sqrt(least(1::float8,
           sin((lat2 * 0.017453292519943295::float8 - lat1 * 0.017453292519943295::float8) / 2)
         * sin((lat2 * 0.017453292519943295::float8 - lat1 * 0.017453292519943295::float8) / 2)
         + cos(lat1 * 0.017453292519943295::float8) * cos(lat2 * 0.017453292519943295::float8)
         * sin((lon2 - lon1) * 0.017453292519943295::float8 / 2)
         * sin((lon2 - lon1) * 0.017453292519943295::float8 / 2))))
$$;
