"""The OCOP domain floor: producers, certificates, the validity rule and
Vietnamese text helpers. It imports no other app of ours, so every app may
import it."""
