-- How many identifications the person had when the current session opened: the session's own
-- outcome is only in identifications after those (Solaris does not link them to sessions).
ALTER TABLE onboardings ADD COLUMN identifications_before INTEGER NOT NULL DEFAULT 0;
