-- A delivery lease names its holder: `lease_id` is set when an instance claims an event and
-- cleared when it records the attempt; an attempt is recorded only under the lease that made
-- it, so an instance whose lease ran out cannot overwrite what another one recorded since.
ALTER TABLE partner_events ADD COLUMN lease_id TEXT;
