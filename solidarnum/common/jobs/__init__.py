"""Background import jobs, one mechanism for every app (ADR 0043): the abstract model and its
states (`models`), the runner an app gives its pieces to (`runner`), the daily expiry and purge
of every kind (`purge`)."""
