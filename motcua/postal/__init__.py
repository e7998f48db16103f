"""The public postal channel: dossiers received by post and results returned by post."""
