"""The national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG): its protocol client
(client.py), the records it takes built from our dossiers (records.py), signed links to a dossier's
files (links.py, views.py), and a stand-in server that speaks the same protocol (standin.py).
docs/dvcqg.md and ADR 0030."""
