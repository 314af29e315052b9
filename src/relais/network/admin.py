"""No administration pages: taskings, answers and annual reports are business records, written
through the application (services, workflow); administrators do not see them by their role."""
