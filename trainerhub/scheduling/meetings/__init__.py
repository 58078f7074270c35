"""Video meetings of online services: a fixed link, a Jitsi room or a Zoom meeting for each
booking, made when it is booked, moved with it and removed when it is cancelled.

`services` runs inside the booking's transaction (domain events); `tasks` is the worker's
side of Zoom (a queue with retries); `zoom` and `jitsi` are the providers."""
