// Integration tests talk to a real mlflow server (and start one for the auth spec): allow minutes.
jest.setTimeout(120_000);
