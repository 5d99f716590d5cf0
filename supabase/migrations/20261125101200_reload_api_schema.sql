-- The API's schema cache must see the new functions and grants.
notify pgrst, 'reload schema';
