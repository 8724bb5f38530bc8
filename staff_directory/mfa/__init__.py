"""Two-factor sign-in for staff: one authenticator app (TOTP) each, through django-otp.

``services`` enrols, checks and removes the app; ``forms`` holds the admin's sign-in form
with its code field and the code forms of the staff member's own pages (``views``);
``middleware`` keeps a session that skipped the code, or (with ``STAFF_MFA_REQUIRED``) a
staff member without an app, away from the staff pages; ``admin`` lets an administrator
remove a lost phone's app.
"""
