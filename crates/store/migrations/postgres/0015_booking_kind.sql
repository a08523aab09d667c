-- What a booking-feed row records (issue 9's arrests): 'booking' (arrested and booked),
-- 'citation' (arrested, cited and let go) or 'charge' (a new charge without an arrest).
-- Keep in step with the other backend's 0015_booking_kind.sql.
ALTER TABLE bookings ADD COLUMN kind TEXT NOT NULL DEFAULT 'booking';
ALTER TABLE booking_reviews ADD COLUMN kind TEXT NOT NULL DEFAULT 'booking';
