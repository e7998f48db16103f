from tests.documents.s3 import moto_endpoint  # noqa: F401 (moto's S3 server for the S3 round trip)
